// SPDX-License-Identifier: GPL-2.0-only
/* A crash reporter that never finishes: the handler must not wait for it forever. */
#include <unistd.h>

int main(void)
{
	sleep(600);
	return 0;
}
