"""The `showcase` command: main (parser, dispatch, exit codes), crash (what an escaped exception
tells the user), console (printing in the chosen language), options, and one module per group of
commands: build (build, check), serve, editors (new, review, status, init). The only place that
prints and picks exit codes; may import anything in builder, and nothing imports it."""
