"""The ministry reads an organisation's volunteer hours as counts (never who gave them), not a false 0.0 h."""

from decimal import Decimal

from django.utils import timezone

from moulin.organisations.models import VolunteerHours


def test_ministry_sees_the_years_volunteer_hours_but_no_names(client_as, home_org):
    year = timezone.localdate().year
    hours = VolunteerHours.objects.filter(organisation=home_org, date__year=year)
    total = hours.total_hours()
    assert total > 0
    response = client_as("ministry").get(home_org.get_absolute_url())
    assert response.status_code == 200
    assert response.context["hours_this_year"] == total
    assert response.context["volunteers_this_year"] == hours.values("volunteer_name").distinct().count()
    assert list(response.context["recent_hours"]) == []
    body = response.content.decode()
    assert "0.0 h" not in body
    names = set(hours.values_list("volunteer_name", flat=True))
    assert not any(name in body for name in names)
    assert "All hours" not in body
    manager = client_as("manager").get(home_org.get_absolute_url())
    assert manager.context["hours_this_year"] == total and Decimal(total) == Decimal(
        manager.context["hours_this_year"]
    )
