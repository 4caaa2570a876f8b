"""How deep parsed JSON nests, measured without recursion."""


def nesting_exceeds(value: object, limit: int) -> bool:
    """Whether objects and arrays in `value` nest deeper than `limit` levels
    (`value` itself, when an object or array, is level 1).

    Iterative, so a structure of any depth is measured rather than a
    RecursionError; each container is visited once.
    """
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node  # type: ignore[assignment]
        else:
            continue
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                pending.append((child, depth + 1))
    return False
