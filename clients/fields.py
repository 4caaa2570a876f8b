"""The client's fields as a write sets them."""

# Client fields a write sets as they are (the API's input names); the CSV transfer
# and the admin form list them in this order.
PLAIN_CLIENT_FIELDS = (
    "name",
    "number",
    "id_number",
    "vat_number",
    "classification",
    "website",
    "phone",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "country_id",
    "shipping_address1",
    "shipping_address2",
    "shipping_city",
    "shipping_state",
    "shipping_postal_code",
    "shipping_country_id",
    "industry_id",
    "size_id",
    "routing_id",
    "is_tax_exempt",
    "has_valid_vat_number",
    "private_notes",
    "public_notes",
    "custom_value1",
    "custom_value2",
    "custom_value3",
    "custom_value4",
)

BULK_UPDATE_COLUMNS = (
    "public_notes",
    "industry_id",
    "size_id",
    "country_id",
    "custom_value1",
    "custom_value2",
    "custom_value3",
    "custom_value4",
)
