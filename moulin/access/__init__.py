"""The access layer, at the bottom of the house: roles, a user's ``Scope``, the ``Policy`` classes and the
``ScopedQuerySet`` through which every page, export, PDF, figure and API endpoint reads rows.

It imports no domain app (import-linter checks it in ``make lint``): domain apps declare their policies on top of
it, and it reaches the models it needs (role assignments) by name through the app registry.
"""
