"""JSON rendering of API responses: the bytes of Django REST framework's ``JSONRenderer``, made
by orjson when it is installed (the ``fast-json`` extra), else by DRF itself.

Wagtail's API renders with ``indent=4`` (its ``get_renderer_context``), which makes the
standard library fall back to its pure-Python encoder: for a 20-item listing of forum editions
(680 KB) that was a sixth of the request (~115 ms on an idle core; orjson and the re-indent
take ~7 ms). orjson writes the same document indented by 2 in C;
doubling each line's leading spaces gives DRF's bytes (JSON strings hold no raw newline, so
every line break is the encoder's own).

Identical to DRF's output, byte for byte, for everything the API serializes (strings, ints,
bools, None, lists, dicts with string keys, dates and datetimes, Decimals as floats, lazy
strings): DRF's encoder (``default``) still converts what JSON has no type for, and U+2028/U+2029
are escaped as DRF does. orjson is not used (DRF renders) when the output could differ: ASCII-only
output (``UNICODE_JSON = False``), ``COMPACT_JSON = False``, non-strict JSON (NaN allowed), an
indent other than none, 2 or 4, or a value orjson refuses (a non-string key, an integer over 64
bits). Known differences left: a float below 1e-4 in magnitude is written ``0.00001`` where the
standard library writes ``1e-05`` (the same number), and a NaN or infinite Decimal is written
``null`` where DRF raises; the alma-cms page types serialize neither (decimals are strings).
"""

from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

try:  # optional: ``pip install alma-cms[fast-json]``
    import orjson
except ImportError:  # pragma: no cover - exercised when orjson is not installed
    orjson = None

_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


def _widened(out):
    """2-space indented JSON lines indented by 4: each line's leading spaces doubled (a list
    comprehension: ten times faster than a regular expression calling back per line)."""
    return b"\n".join(
        [line[: len(line) - len(line.lstrip(b" "))] + line for line in out.split(b"\n")]
    )


def dumps(data, *, indent=None, default=None):
    """``data`` as JSON bytes, as ``json.dumps(data, ensure_ascii=False, indent=indent,
    separators=...)`` (DRF's separators: ``","``/``":"`` compact, ``","``/``": "`` indented) would
    write it, encoded in UTF-8. ``indent``: None, 2 or 4. ``default``: called for values JSON
    has no type for (datetimes, Decimals, …). Raises ``TypeError`` (orjson's ``JSONEncodeError``)
    when orjson cannot write ``data``, ``RuntimeError`` when orjson is not installed."""
    if orjson is None:
        raise RuntimeError("orjson is not installed")
    option = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    if indent:
        option |= orjson.OPT_INDENT_2
    out = orjson.dumps(data, default=default, option=option)
    if indent == 4:
        out = _widened(out)
    for raw, escaped in _LINE_SEPARATORS:
        if raw in out:
            out = out.replace(raw, escaped)
    return out


class JSONRenderer(DRFJSONRenderer):
    """DRF's ``JSONRenderer``, rendered by orjson when installed (same bytes, see the module)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or orjson is None or self.ensure_ascii or not self.strict:
            return super().render(data, accepted_media_type, renderer_context)
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent not in (None, 2, 4) or (indent is None and not self.compact):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            return dumps(data, indent=indent, default=self.encoder_class().default)
        except TypeError:  # a value orjson refuses: DRF writes it (or raises) as before
            return super().render(data, accepted_media_type, renderer_context)
