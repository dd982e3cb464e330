"""Icons, translations and the app icon, installed as the package `proxyshop_desktop.resources`
(see pyproject.toml) and found through importlib.resources. No code lives here."""
