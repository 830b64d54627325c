"""Entry point of ``python -m llm_observer``."""

import sys

from .report import main

sys.exit(main())
