"""Model fields shared by the apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from moulin.core.validators import normalise_phone, validate_phone


class PhoneField(models.CharField):
    """A phone number, validated with phonenumbers and stored in the international E.164 form (+35226123456),
    whether it comes through a form (``to_python``) or a direct save (``pre_save``). Templates show it with
    the ``phone`` filter (nationally for Luxembourg)."""

    default_validators = [validate_phone]
    description = _("Phone number")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_phone(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = normalise_phone(value)
            setattr(model_instance, self.attname, value)
        return value
