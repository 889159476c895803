#!/usr/bin/env python
"""Django's command-line utility for Civic Desk."""

from civicdesk.manage import main

if __name__ == "__main__":
    main()
