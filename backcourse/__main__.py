from backcourse.cli import main

raise SystemExit(main())
