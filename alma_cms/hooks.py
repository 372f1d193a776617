"""Hook names that alma-cms calls, and helpers to call them.

``alma_cms_register_blocks``
    ``fn(stream_key) -> list[tuple[str, Block]]``. Called once per extensible StreamField
    with that field's ``stream_key`` (see :data:`STREAM_KEYS`); returns extra blocks to offer
    in it. The extra blocks are not written into alma_cms migrations, so sites can add and
    remove them freely.
"""

from wagtail import hooks

REGISTER_BLOCKS_HOOK = "alma_cms_register_blocks"

# The StreamFields that accept site blocks, by key.
STREAM_KEYS = ("edition_body", "announcement_body", "award_body")


def get_extra_blocks(stream_key):
    """Collect ``(name, block)`` pairs that hooks add to the stream ``stream_key``."""
    extra = []
    for fn in hooks.get_hooks(REGISTER_BLOCKS_HOOK):
        extra.extend(fn(stream_key) or [])
    return extra
