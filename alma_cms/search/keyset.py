"""Reading a whole table in primary-key order, a chunk at a time (rebuild and reconcile)."""


def chunks_by_key(queryset, size):
    """Yield lists of at most ``size`` objects of ``queryset``, in primary-key order, each read
    with ``pk > <last pk of the previous chunk>`` (keyset pagination): unlike ``OFFSET``, rows
    deleted or added meanwhile never make it skip or repeat one, and every chunk costs the same
    (an index range scan) however far it is."""
    queryset = queryset.order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        chunk = list(page[:size])
        if not chunk:
            return
        last = chunk[-1].pk
        yield chunk
