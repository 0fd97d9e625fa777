"""The intake stage: tables, documents and models (one module per format under ``models/``)
taken in safely, then assembled into the RunContext the checks run on (``build``)."""
