from importer.cli._main import main

main()
