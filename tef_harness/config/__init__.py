"""The config stage: the schema of tef.toml, the loader, ``tef init``'s templates, the README's
configuration reference, and the policy profiles (TOML data in ``profiles/``)."""
