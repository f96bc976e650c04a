/* The SARIF writer's path helper (sarif.c; the writer itself is public in
 * minimesos/diag.h). Internal to libminimesos; exposed for the tests. */
#ifndef MM_LANG_SARIF_H
#define MM_LANG_SARIF_H

/* path relative to the folder cwd, by their text alone (no file system
 * access): "." segments dropped, "x/.." folded, "../" for each of cwd's
 * segments path does not share ("/a/b/f" from "/a/c" is "../b/f"). A
 * relative path is taken as relative to cwd already (only folded). NULL
 * when path is absolute and cwd is not. malloc'd. */
char *mm_sarif_relative_path(const char *path, const char *cwd);

#endif
