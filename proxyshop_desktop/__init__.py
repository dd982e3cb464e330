"""ProxyShop Desktop: the admin application of a SOCKS5 proxy reselling shop."""

__version__ = "0.1.0"
APP_NAME = "proxyshop-desktop"
