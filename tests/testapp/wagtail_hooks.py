"""The test app extends the forum edition body with a poll, as a site would."""

from wagtail import hooks

from .blocks import PollBlock

POLL_BLOCK_NAME = "testapp_poll"


@hooks.register("alma_cms_register_blocks")
def register_poll_block(stream_key):
    if stream_key == "edition_body":
        return [(POLL_BLOCK_NAME, PollBlock())]
    return []
