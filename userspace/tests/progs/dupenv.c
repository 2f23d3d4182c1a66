// SPDX-License-Identifier: GPL-2.0-only
/*
 * dupenv NAME=VALUE... -- CMD [ARG...]: runs CMD with the environment
 * plus each NAME=VALUE appended as given, duplicates and all (env(1)
 * replaces a name it already has), as an attacker's exec can.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int n = 0, i, extra = 1;
	char **env;

	while (extra < argc && strcmp(argv[extra], "--"))
		extra++;
	if (extra + 1 >= argc) {
		fprintf(stderr,
			"usage: dupenv NAME=VALUE... -- CMD [ARG...]\n");
		return 2;
	}
	while (environ[n])
		n++;
	env = calloc((size_t)(n + extra), sizeof(*env));
	if (!env)
		return 2;
	memcpy(env, environ, (size_t)n * sizeof(*env));
	for (i = 1; i < extra; i++)
		env[n++] = argv[i];
	env[n] = NULL;
	execve(argv[extra + 1], argv + extra + 1, env);
	perror(argv[extra + 1]);
	return 127;
}
