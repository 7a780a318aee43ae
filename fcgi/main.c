/* main.c: the fazhi program: one binary, one subcommand per role. */
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "console.h"
#include "import.h"
#include "publish.h"
#include "publog.h"
#include "serve.h"
#include "user.h"

static const struct {
	const char	*name;
	int		(*run)(int, char **);
	const char	*what;
} main_cmds[] = {
	{ "serve", serve_main, "serve the site over FastCGI" },
	{ "check", build_check_main, "check content files and report every problem" },
	{ "build", build_main, "build a snapshot from the content folder" },
	{ "publish", publish_main, "check, build, swap in and reload the snapshot" },
	{ "withdraw", publish_withdraw_main, "take one item off every output at once (撤稿)" },
	{ "log", publog_main, "print the publishing log" },
	{ "console", console_main, "serve the staff console over FastCGI" },
	{ "user", user_main, "staff accounts: add, passwd, disable, enable, list" },
	{ "import", import_main, "import penalties FEED.xml: merge a penalty-record feed" },
};

static int
main_usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: fazhi COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(main_cmds) / sizeof(main_cmds[0]); i++)
		fprintf(stderr, "  %-8s %s\n", main_cmds[i].name, main_cmds[i].what);
	return 1;
}

int
main(int argc, char **argv)
{
	size_t	 i;

	if (argc < 2)
		return main_usage();
	for (i = 0; i < sizeof(main_cmds) / sizeof(main_cmds[0]); i++)
		if (strcmp(argv[1], main_cmds[i].name) == 0)
			return main_cmds[i].run(argc - 1, argv + 1);
	return main_usage();
}
