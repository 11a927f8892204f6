"""The commands through the CLI, one test module per module of workflow/commands/ (test_cli.py: the root group)."""
