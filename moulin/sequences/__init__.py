"""Gapless numbering: one counter per (series, issuing organisation, year), advanced inside the transaction
that issues the numbered document. Imports no domain app."""
