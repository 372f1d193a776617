"""Loaded alma-cms pages are built with Django's ``Model.__init__`` alone (AlmaPageMixin):
the same instance as through Wagtail's and modelcluster's ``__init__``, signals included."""

import pytest
from django.db import models
from django.db.models.signals import post_init
from wagtail.models import Page

from alma_cms.page_types import alma_page_models
from alma_cms.pages.mixins import AlmaPageMixin, _loads_plainly


def _through_every_init(model, values):
    page = model.__new__(model)
    super(AlmaPageMixin, page).__init__(*values)  # Wagtail's, modelcluster's, Django's
    return page


@pytest.mark.django_db
def test_a_loaded_page_is_the_instance_wagtails_init_builds(alma):
    seen = []
    for model in alma_page_models():
        assert _loads_plainly(model), model
        page = model.objects.first()
        if page is None:
            continue
        seen.append(model)
        values = [getattr(page, f.attname) for f in model._meta.concrete_fields]
        expected = _through_every_init(model, values)
        loaded = model.objects.get(pk=page.pk)
        state = {"_state"}
        assert {k: v for k, v in loaded.__dict__.items() if k not in state} == {
            k: v for k, v in expected.__dict__.items() if k not in state
        }
        assert loaded._state.adding is False and loaded._state.db == "default"
    assert len(seen) >= 5


@pytest.mark.django_db
def test_post_init_receivers_still_run(alma):
    model = type(alma.edition_2021)
    instances = []

    def receiver(sender, instance, **kwargs):
        instances.append(instance)

    post_init.connect(receiver, sender=model)
    try:
        page = model.objects.get(pk=alma.edition_2021.pk)
    finally:
        post_init.disconnect(receiver, sender=model)
    assert instances == [page]


def test_another_init_in_the_hierarchy_keeps_the_full_construction():
    class WithInit(models.Model):
        class Meta:
            abstract = True
            app_label = "tests"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

    class Plain(AlmaPageMixin, Page):
        class Meta:
            abstract = True
            app_label = "tests"

    class Custom(AlmaPageMixin, WithInit):
        class Meta:
            abstract = True
            app_label = "tests"

    assert _loads_plainly(Plain)
    assert not _loads_plainly(Custom)


@pytest.mark.django_db
def test_a_new_page_still_gets_its_content_type():
    page = alma_page_models()[0](title="New", slug="new")
    assert page.content_type_id is not None
