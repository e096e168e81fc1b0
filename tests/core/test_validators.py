import pytest
from django.core.exceptions import ValidationError

from moulin.core.templatetags.moulin import phone
from moulin.core.validators import (
    format_iban,
    normalise_phone,
    validate_iban,
    validate_legal_number,
    validate_lu_vat,
    validate_phone,
    validate_vat,
)


@pytest.mark.parametrize(
    "iban",
    [
        "LU28 0019 4006 4475 0000",
        "lu280019400644750000",
        "DE89370400440532013000",
        "FR76 3000 6000 0112 3456 7890 189",
        "GB82 WEST 1234 5698 7654 32",
        "NO93 8601 1117 947",  # a country outside the EU, shortest IBAN
    ],
)
def test_valid_ibans_pass(iban):
    validate_iban(iban)


@pytest.mark.parametrize(
    "iban,message",
    [
        ("LU28 0019 4006 4475 0001", "check digits"),
        ("LU28 0019 4006 4475", "has 20 characters"),
        ("FR76 3000 6000 0112 3456 7890 18", "An IBAN from FR has 27 characters; this one has 26"),
        ("DE88370400440532013000", "check digits"),
        ("XX28 0019 4006 4475 0000", "XX is not a country that issues IBANs"),
        ("not an iban", "Enter an IBAN"),
    ],
)
def test_invalid_ibans_say_what_is_wrong(iban, message):
    with pytest.raises(ValidationError) as exc:
        validate_iban(iban)
    assert message in str(exc.value)


def test_iban_is_shown_in_groups_of_four():
    assert format_iban("FR7630006000011234567890189") == "FR76 3000 6000 0112 3456 7890 189"


def test_luxembourg_vat_checks_its_control_digits():
    validate_lu_vat("LU15027442")  # 150274 % 89 == 42
    with pytest.raises(ValidationError, match="check digits"):
        validate_lu_vat("LU15027443")
    with pytest.raises(ValidationError, match="LU followed by 8 digits"):
        validate_lu_vat("FR15027442")


@pytest.mark.parametrize("vat", ["LU15027442", "LU 1502 7442", "DE136695976", "de 136 695 976", "FR40303265045",
                                 "BE0776091951", "NL004495445B01"])  # fmt: skip
def test_eu_vat_numbers_of_any_country_pass(vat):
    validate_vat(vat)


@pytest.mark.parametrize(
    "vat,message",
    [
        ("DE136695977", "check digits are wrong"),
        ("LU15027443", "check digits are wrong"),
        ("FR15027442", "not the layout of a VAT number from FR"),
        ("US123456789", "US is not an EU country code"),
        ("15027442", "country code in front"),
    ],
)
def test_invalid_vat_numbers_say_what_to_do(vat, message):
    with pytest.raises(ValidationError) as exc:
        validate_vat(vat)
    assert message in str(exc.value)


def test_register_number_is_a_letter_and_digits():
    validate_legal_number("F1234")
    with pytest.raises(ValidationError, match="F1234"):
        validate_legal_number("1234F")


@pytest.mark.parametrize("number", ["+352 26 12 34 56", "26 12 34 56", "621 123 456", "00352 691 123 456",
                                    "+49 30 1234567", "+33 1 23 45 67 89"])  # fmt: skip
def test_phone_numbers_in_use_pass(number):
    validate_phone(number)


@pytest.mark.parametrize(
    "number,message",
    [
        ("call me", "in digits"),
        ("+352 2", "too short"),
        ("+352 60 12 34 56", "not a phone number in use in LU"),
        ("+49 30 12", "not a phone number in use in DE"),
        ("+352 26 12 34 56 78 90 12", "too long"),
        ("+999 1234 5678", "country code does not exist"),
    ],
)
def test_wrong_phone_numbers_say_what_to_do(number, message):
    with pytest.raises(ValidationError) as exc:
        validate_phone(number)
    assert message in str(exc.value)


def test_phone_is_stored_internationally_and_shown_nationally_for_luxembourg():
    assert normalise_phone("26 12 34 56") == "+35226123456"
    assert normalise_phone("0049 (30) 123-4567") == "+49301234567"
    assert phone("+35226123456") == "26 12 34 56"
    assert phone("+352691123456") == "691 123 456"
    assert phone("+49301234567") == "+49 30 1234567"
    assert phone("not a number") == "not a number"  # an old value is shown as typed


@pytest.mark.django_db
def test_every_demo_phone_number_is_valid_and_stored_internationally():
    from django.apps import apps

    from moulin.core.fields import PhoneField

    checked = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, PhoneField):
                for number in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    validate_phone(number)
                    assert number.startswith("+") and " " not in number, (model, number)
                    checked += 1
    assert checked > 100
