import pytest
from django.core.exceptions import ValidationError

from moulin.core.validators import validate_iban, validate_legal_number, validate_lu_vat, validate_phone


@pytest.mark.parametrize("iban", ["LU28 0019 4006 4475 0000", "lu280019400644750000", "DE89370400440532013000"])
def test_valid_ibans_pass(iban):
    validate_iban(iban)


@pytest.mark.parametrize(
    "iban,message",
    [
        ("LU28 0019 4006 4475 0001", "check digits"),
        ("LU28 0019 4006 4475", "has 20 characters"),
        ("not an iban", "Enter an IBAN"),
    ],
)
def test_invalid_ibans_say_what_is_wrong(iban, message):
    with pytest.raises(ValidationError) as exc:
        validate_iban(iban)
    assert message in str(exc.value)


def test_luxembourg_vat_checks_its_control_digits():
    validate_lu_vat("LU15027442")  # 150274 % 89 == 42
    with pytest.raises(ValidationError, match="check digits"):
        validate_lu_vat("LU15027443")
    with pytest.raises(ValidationError, match="LU followed by 8 digits"):
        validate_lu_vat("FR15027442")


def test_register_number_is_a_letter_and_digits():
    validate_legal_number("F1234")
    with pytest.raises(ValidationError, match="F1234"):
        validate_legal_number("1234F")


def test_phone_numbers():
    validate_phone("+352 26 12 34 56")
    with pytest.raises(ValidationError):
        validate_phone("call me")
