"""The matching engine: normalise → tokenise → index → rank → explain → plan. Pure Python, no Django."""
