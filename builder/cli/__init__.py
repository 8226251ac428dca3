"""The `showcase` command: main (parser, dispatch, exit codes, the crash log), console (printing
that survives a GBK console), and one module per group of commands. The only place that prints
summaries and picks exit codes; may import anything in builder."""
