"""A site block added to alma-cms streams through the ``alma_cms_register_blocks`` hook."""

from wagtail import blocks


class PollBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=255)
    options = blocks.ListBlock(blocks.CharBlock(max_length=100), min_num=2)

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        data["option_count"] = len(data["options"])
        return data

    class Meta:
        template = "alma_testapp/blocks/poll.html"
        icon = "list-ul"
        label = "Poll"
