"""The client API: routes, viewsets, inputs, outputs and filters."""
