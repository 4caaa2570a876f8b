"""The `/documents` API: routes, viewset, input serializers and filters."""
