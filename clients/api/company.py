"""`GET /api/v1/companies/current`: the token's company and its required fields."""

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.models import REQUIRABLE_FIELDS, Company
from config.api.hashids import encode_id


class RequiredFieldSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="The input name, e.g. custom_value2")
    # Serializers pop declared fields off the class, so `label` is free to use.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The name error messages use"
    )


class RequiredFieldsSerializer(serializers.Serializer[Any]):
    client = RequiredFieldSerializer(
        many=True, help_text="Required client fields (`custom_value2`)"
    )
    contact = RequiredFieldSerializer(
        many=True,
        help_text="Required fields of every contact (`contacts.0.custom_value1`)",
    )


class CurrentCompanySerializer(serializers.Serializer[Any]):
    id = serializers.CharField(help_text="The company's hashed id")
    name = serializers.CharField()
    required_fields = RequiredFieldsSerializer()


CURRENT_COMPANY = inline_serializer(
    "CurrentCompanyAnswer", {"data": CurrentCompanySerializer()}
)


def company_representation(company: Company) -> dict[str, Any]:
    return {
        "id": encode_id(company.pk),
        "name": company.name,
        "required_fields": {
            record: [
                {"field": field, "label": label}
                for field, label in company.required_labels(record).items()
            ]
            for record in REQUIRABLE_FIELDS
        },
    }


class CurrentCompanyView(APIView):
    """The company of the request's token."""

    @extend_schema(
        operation_id="currentCompany",
        summary="The token's company",
        description=(
            "The company the token belongs to, and the fields it requires: a "
            "client create or update that leaves one of `required_fields.client` "
            "empty (or a contact's, for `required_fields.contact`) answers 422 "
            "keyed by the field (`custom_value2`, `contacts.0.custom_value1`), "
            "with the label in the message. Staff set them in Django admin, on "
            "the company."
        ),
        responses=CURRENT_COMPANY,
        examples=[
            OpenApiExample(
                "A company requiring two fields",
                value={
                    "data": {
                        "id": "VolejRejNm",
                        "name": "Acme Ltd",
                        "required_fields": {
                            "client": [
                                {"field": "custom_value2", "label": "VAT region"}
                            ],
                            "contact": [
                                {"field": "custom_value1", "label": "Department"}
                            ],
                        },
                    }
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        company: Company = request.company
        return Response({"data": company_representation(company)})
