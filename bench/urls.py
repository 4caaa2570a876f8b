"""The product's URLs plus the ceiling views (benchmarks only)."""

from django.urls import path

from bench.ceiling import (
    ceiling_archive,
    ceiling_create,
    ceiling_filtered,
    ceiling_list,
    ceiling_show,
    ceiling_sync,
)
from config.urls import handler400, handler404, handler500
from config.urls import urlpatterns as product_urls

urlpatterns = [
    path("bench/ceiling/<int:company_id>/clients", ceiling_list),
    path("bench/ceiling/<int:company_id>/clients/<int:pk>", ceiling_show),
    path("bench/ceiling/<int:company_id>/filtered", ceiling_filtered),
    path("bench/ceiling/<int:company_id>/sync/<int:since>", ceiling_sync),
    path("bench/ceiling/<int:company_id>/create", ceiling_create),
    path("bench/ceiling/<int:company_id>/archive", ceiling_archive),
    *product_urls,
]

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]
