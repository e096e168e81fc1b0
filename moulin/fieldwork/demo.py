def generate(ctx):
    """Filled below."""
