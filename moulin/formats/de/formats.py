# German: Django's formats, with one date format on screen (see moulin/formats/__init__.py).
DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
LONG_DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
