"""A StreamField that sites can extend through the ``alma_cms_register_blocks`` hook."""

import copy

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import cached_property
from wagtail.blocks import StreamBlock
from wagtail.fields import StreamField

from .hooks import get_extra_blocks


class ExtensibleStreamField(StreamField):
    """A StreamField whose blocks are the package's own plus those hooks register.

    Only the package's own blocks are deconstructed, under Wagtail's plain StreamField path,
    so hooked-in blocks never show up as migration changes in alma_cms.
    """

    def __init__(self, block_types, *, stream_key=None, **kwargs):
        # stream_key is None on clones rebuilt from deconstruct(): those get the base blocks.
        self.stream_key = stream_key
        super().__init__(block_types, **kwargs)

    @cached_property
    def base_stream_block(self):
        return StreamField.stream_block.func(self)

    @property
    def stream_block(self):
        cached = self.__dict__.get("_extended_stream_block")
        if cached is not None:
            return cached
        # Hooks can only be read once every app is loaded; until then, serve the base blocks.
        if not apps.ready or self.stream_key is None:
            return self.base_stream_block
        extra = get_extra_blocks(self.stream_key)
        if not extra:
            block = self.base_stream_block
        else:
            base = self.base_stream_block
            clashes = set(base.child_blocks) & {name for name, _ in extra}
            if clashes:
                raise ImproperlyConfigured(
                    f"alma_cms_register_blocks: block name(s) {sorted(clashes)} already exist "
                    f"in the '{self.stream_key}' stream"
                )
            children = [(n, copy.deepcopy(b)) for n, b in base.child_blocks.items()] + extra
            block = StreamBlock(children)
            block.set_meta_options(self.block_opts)
        self.__dict__["_extended_stream_block"] = block
        return block

    def deconstruct(self):
        name, _path, _args, kwargs = StreamField.deconstruct(self._base_only())
        return name, "wagtail.fields.StreamField", _args, kwargs

    def _base_only(self):
        """A shallow stand-in whose stream_block is the base block, for deconstruct()."""
        clone = copy.copy(self)
        clone.__dict__["_extended_stream_block"] = self.base_stream_block
        return clone
