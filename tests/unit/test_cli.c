/* The program's usage texts against its option tables: every option a
 * command accepts is named in its usage, and every option line of a usage
 * names an option the command accepts (`up --numAgents` and
 * `--rm-on-failure` were accepted but never named). Links the commands
 * without main(). */
#include <check.h>
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "testutil.h"

/* "--name" in text as a whole option name (not a prefix of a longer one). */
static bool names_option(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(text, "--"); p; p = strstr(p + 2, "--")) {
        if (strncmp(p + 2, name, n) == 0) {
            char after = p[2 + n];
            if (!(isalnum((unsigned char)after) || after == '-'))
                return true;
        }
    }
    return false;
}

static bool accepts(const cli_command *cmd, const char *name, size_t n)
{
    for (const struct option *o = cmd->options; o && o->name; o++)
        if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
            return true;
    return n == 4 && strncmp(name, "help", 4) == 0; /* every command takes --help */
}

START_TEST(every_option_is_in_the_usage)
{
    for (size_t i = 0; i < cli_n_commands; i++) {
        const cli_command *cmd = cli_commands[i];
        for (const struct option *o = cmd->options; o && o->name; o++)
            ck_assert_msg(names_option(cmd->usage, o->name),
                          "`%s` accepts --%s but its usage does not name it", cmd->name, o->name);
    }
}
END_TEST

START_TEST(every_usage_option_is_accepted)
{
    for (size_t i = 0; i < cli_n_commands; i++) {
        const cli_command *cmd = cli_commands[i];
        /* option lines: indented, then maybe "-x, ", then --name */
        for (const char *line = cmd->usage; line && *line;) {
            const char *end = strchr(line, '\n');
            const char *p = line;
            while (*p == ' ')
                p++;
            if (p > line && p[0] == '-' && p[1] != '-' && p[1] && p[2] == ',')
                p += 3;
            while (*p == ' ')
                p++;
            if (p > line && p[0] == '-' && p[1] == '-' && isalpha((unsigned char)p[2])) {
                const char *name = p + 2;
                size_t n = 0;
                while (isalnum((unsigned char)name[n]) || name[n] == '-')
                    n++;
                ck_assert_msg(accepts(cmd, name, n), "`%s` usage names --%.*s, which it does not accept",
                              cmd->name, (int)n, name);
            }
            line = end ? end + 1 : NULL;
        }
    }
}
END_TEST

START_TEST(commands_are_found_by_name)
{
    ck_assert_uint_gt(cli_n_commands, 10);
    for (size_t i = 0; i < cli_n_commands; i++)
        ck_assert_ptr_eq(cli_find_command(cli_commands[i]->name), cli_commands[i]);
    ck_assert_ptr_null(cli_find_command("nosuch"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *t = tcase_create("usage");
    tcase_add_test(t, every_option_is_in_the_usage);
    tcase_add_test(t, every_usage_option_is_accepted);
    tcase_add_test(t, commands_are_found_by_name);
    suite_add_tcase(s, t);
    return tu_run(s);
}
