"""`python -m practice.cli`: the same as the fascia-cli command."""

from practice.cli import main

raise SystemExit(main())
