from moulin.core.forms import ModelForm
from moulin.core.models import NetworkSettings


class NetworkSettingsForm(ModelForm):
    class Meta:
        model = NetworkSettings
        fields = ["name", "volunteer_hour_rate"]
