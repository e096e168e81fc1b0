"""The fold functions of the search in three tiers (moulin/core/search.py ``postgresql_function``).

A value of plain ASCII is only lower-cased, a value within Latin-1 is translated over Latin-1's letters, anything
else is folded as before (0003). The site search scanned a table of 4,300 invoices in 50 ms on PostgreSQL, almost
all of it in ``translate`` over 300 letters and 22 ``replace`` per value; 5 ms after. Not STRICT, so that
PostgreSQL inlines it. The SQL is ``search.postgresql_function``'s output for ``FOLD`` and ``FOLD_DE``, frozen
here: a change is a new migration.
"""

from importlib import import_module

from django.db import migrations

before = import_module("moulin.core.migrations.0003_search_fold_functions")

FOLD_SQL = "CREATE OR REPLACE FUNCTION moulin_fold(text) RETURNS text AS $$ SELECT CASE WHEN $1 ~ '^[\\x01-\\x7f]*$' THEN lower($1) WHEN $1 ~ '^[\\x01-\\xff]*$' THEN lower(translate(replace(replace(replace(replace(replace($1, 'Æ', 'ae'), 'Þ', 'th'), 'ß', 'ss'), 'æ', 'ae'), 'þ', 'th'), 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿ', 'aaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyy')) ELSE lower(translate(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace($1, 'Æ', 'ae'), 'Þ', 'th'), 'ß', 'ss'), 'æ', 'ae'), 'þ', 'th'), 'Ĳ', 'ij'), 'ĳ', 'ij'), 'Œ', 'oe'), 'œ', 'oe'), 'Ǆ', 'dz'), 'ǅ', 'dz'), 'ǆ', 'dz'), 'Ǉ', 'lj'), 'ǈ', 'lj'), 'ǉ', 'lj'), 'Ǌ', 'nj'), 'ǋ', 'nj'), 'ǌ', 'nj'), 'Ǳ', 'dz'), 'ǲ', 'dz'), 'ǳ', 'dz'), 'ẞ', 'ss'), 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ', 'aaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkkllllllllllnnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyy')) END $$ LANGUAGE sql IMMUTABLE PARALLEL SAFE"

FOLD_DE_SQL = "CREATE OR REPLACE FUNCTION moulin_fold_de(text) RETURNS text AS $$ SELECT CASE WHEN $1 ~ '^[\\x01-\\x7f]*$' THEN lower($1) WHEN $1 ~ '^[\\x01-\\xff]*$' THEN lower(translate(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace($1, 'Ä', 'ae'), 'Æ', 'ae'), 'Ö', 'oe'), 'Ü', 'ue'), 'Þ', 'th'), 'ß', 'ss'), 'ä', 'ae'), 'æ', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'þ', 'th'), 'ÀÁÂÃÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕØÙÚÛÝàáâãåçèéêëìíîïðñòóôõøùúûýÿ', 'aaaaaceeeeiiiidnooooouuuyaaaaaceeeeiiiidnooooouuuyy')) ELSE lower(translate(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace($1, 'Ä', 'ae'), 'Æ', 'ae'), 'Ö', 'oe'), 'Ü', 'ue'), 'Þ', 'th'), 'ß', 'ss'), 'ä', 'ae'), 'æ', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'þ', 'th'), 'Ĳ', 'ij'), 'ĳ', 'ij'), 'Œ', 'oe'), 'œ', 'oe'), 'Ǆ', 'dz'), 'ǅ', 'dz'), 'ǆ', 'dz'), 'Ǉ', 'lj'), 'ǈ', 'lj'), 'ǉ', 'lj'), 'Ǌ', 'nj'), 'ǋ', 'nj'), 'ǌ', 'nj'), 'Ǳ', 'dz'), 'ǲ', 'dz'), 'ǳ', 'dz'), 'ẞ', 'ss'), 'ÀÁÂÃÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕØÙÚÛÝàáâãåçèéêëìíîïðñòóôõøùúûýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ', 'aaaaaceeeeiiiidnooooouuuyaaaaaceeeeiiiidnooooouuuyyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkkllllllllllnnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyy')) END $$ LANGUAGE sql IMMUTABLE PARALLEL SAFE"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FOLD_SQL)
        schema_editor.execute(FOLD_DE_SQL)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(before.FOLD_SQL)
        schema_editor.execute(before.FOLD_DE_SQL)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_data_version")]

    operations = [migrations.RunPython(create, restore, elidable=False)]
