"""The CRUD contract every API resource keeps, written once and inherited.

`base.Resource` names what differs between resources (URLs, bodies, messages,
permissions, pinned query counts); `reads`, `writes` and `bulk` hold the tests; a
`test_<resource>.py` module subclasses `crud.CrudContract` and fills the attributes in.
"""
