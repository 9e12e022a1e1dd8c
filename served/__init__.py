"""Every pattern served as a real site, driven from outside: by a browser, over HTTP."""
