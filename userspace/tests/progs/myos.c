// SPDX-License-Identifier: GPL-2.0-only
/* The myos example of the Cloudflare sandbox post, unchanged in spirit. */
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname name;

	if (uname(&name)) {
		perror("uname failed");
		return 1;
	}
	printf("My OS is %s!\n", name.sysname);
	return 0;
}
