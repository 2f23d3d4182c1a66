// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope: dm-verity trust
 *
 * A load off the pin is allowed when it comes from a dm-verity device
 * whose root digest is on a list of trusted digests, as LoadPin allows
 * since 6.0, but only from a device that refuses corrupted data, checks
 * every block each time it is read, has found no corrupted block yet and
 * has had no other table before the one it has.
 * A digest is listed with its algorithm ("sha256:<hex>").
 *
 * The list is given once, by the boot parameter pinscope.verity_digests=
 * or by one write to /sys/kernel/security/pinscope/verity_digests, and is
 * then sealed: a list that is refused seals the file too, trusting
 * nothing, so that whoever comes after a failed attempt cannot choose the
 * list.  The list is published whole or not at all, and never changes or
 * goes away once published.  When the pin is final (init executes from
 * its root), an unset list is sealed empty: the list is trusted as the pin
 * is, from the boot code that chose it, and a root process of the running
 * system cannot give one.
 */

#define pr_fmt(fmt) "pinscope: " fmt

#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/dm-verity-pinscope.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "pinscope.h"

/* The longest list a write may give: 64 sha512 lines and some comments. */
#define VERITY_LIST_MAX		SZ_16K

static char *verity_param;
module_param_named(verity_digests, verity_param, charp, 0);
MODULE_PARM_DESC(verity_digests,
		 "Trusted dm-verity root digests, ALG:HEX[,ALG:HEX...]; seals the list");

/* The algorithms a digest may name: collision-resistant ones only. */
static const struct verity_alg {
	const char *name;
	unsigned int size;
} verity_algs[] = {
	{ "sha256", 32 },
	{ "sha384", 48 },
	{ "sha512", 64 },
};

#define VERITY_ALG_NAMES	"sha256, sha384, sha512"

struct verity_digest {
	const struct verity_alg *alg;
	u8 digest[HASH_MAX_DIGESTSIZE];
};

struct verity_list {
	unsigned int count;
	struct verity_digest digests[];
};

/*
 * The list, NULL until one is published; then immutable and never freed,
 * so readers need only the acquire that pairs with its publication.
 */
static const struct verity_list *trusted;
/*
 * Set by the first attempt, successful or not, or when the pin is final;
 * written under verity_lock, read without it only to refuse early.
 */
static bool sealed;
static DEFINE_MUTEX(verity_lock);

static const struct verity_alg *verity_find_alg(const char *name, size_t len)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(verity_algs); i++)
		if (strlen(verity_algs[i].name) == len &&
		    !strncmp(name, verity_algs[i].name, len))
			return &verity_algs[i];
	return NULL;
}

/**
 * verity_parse_entry - parse one "ALG:HEX" entry
 * @entry: the entry, NUL-terminated and trimmed
 * @d: filled in on success
 * @problem: set to what is wrong, on failure
 *
 * Return: 0, -EINVAL for a malformed entry, -ENOPKG for an unknown algorithm.
 */
static int verity_parse_entry(const char *entry, struct verity_digest *d,
			      const char **problem)
{
	const char *hex = strchr(entry, ':');

	if (!hex) {
		*problem = "no ':' between the algorithm and the digest";
		return -EINVAL;
	}
	d->alg = verity_find_alg(entry, hex - entry);
	if (!d->alg) {
		*problem = "unknown digest algorithm (known: " VERITY_ALG_NAMES ")";
		return -ENOPKG;
	}
	hex++;
	if (strlen(hex) != 2 * d->alg->size) {
		*problem = "the digest does not have the algorithm's length";
		return -EINVAL;
	}
	if (hex2bin(d->digest, hex, d->alg->size)) {
		*problem = "the digest is not hexadecimal";
		return -EINVAL;
	}
	return 0;
}

/**
 * verity_parse - parse a whole list
 * @buf: the list, NUL-terminated; modified
 * @sep: what separates entries: '\n' in the file, ',' in the parameter
 * @source: where the list comes from, for the log
 *
 * In the file, empty lines and lines starting with '#' are skipped.  Any
 * bad entry refuses the whole list, with a log line naming the entry.
 *
 * Return: the new list, which may be empty, or an ERR_PTR().
 */
static struct verity_list *verity_parse(char *buf, char sep, const char *source)
{
	const char *what = sep == '\n' ? "line" : "entry";
	const char *problem = NULL;
	struct verity_list *list;
	unsigned int n = 0, max = 1, nr = 0;
	char *p, *entry;
	int err;

	/* an entry is at least "sha256:" and 64 digits: blank lines are free */
	max += strlen(buf) / (strlen("sha256:") + 2 * 32);
	list = kvzalloc(struct_size(list, digests, max), GFP_KERNEL);
	if (!list)
		return ERR_PTR(-ENOMEM);

	p = buf;
	while ((entry = strsep(&p, sep == '\n' ? "\n" : ",")) != NULL) {
		nr++;
		entry = strim(entry);
		if (!*entry || (sep == '\n' && *entry == '#'))
			continue;
		err = n < max ? verity_parse_entry(entry, &list->digests[n], &problem) : -EINVAL;
		if (err) {
			pr_err("%s: %s %u (\"%.80s\"): %s: nothing trusted\n",
			       source, what, nr, entry, problem ?: "too many entries");
			kvfree(list);
			return ERR_PTR(err);
		}
		n++;
	}
	list->count = n;
	return list;
}

/**
 * verity_publish - set the list, once
 * @list: the list, or an ERR_PTR() for a refused one, which seals it empty
 * @source: where it came from, for the log
 *
 * Context: verity_lock held, list not sealed yet.
 */
static void verity_publish(struct verity_list *list, const char *source)
{
	lockdep_assert_held(&verity_lock);

	WRITE_ONCE(sealed, true);
	if (IS_ERR(list)) {
		pr_notice("%s: the list was refused: no dm-verity device is trusted; sealed\n",
			  source);
		return;
	}
	/* pairs with the acquire of readers: they see the digests whole */
	smp_store_release(&trusted, list);
	pr_info("%s: trusting %u dm-verity root digest%s; sealed\n",
		source, list->count, list->count == 1 ? "" : "s");
}

/* Log a refused write: the list is sealed. */
static void verity_report_sealed(void)
{
	char *cmdline = kstrdup_quotable_cmdline(current, GFP_KERNEL);

	pr_notice("verity_digests: sealed: write by pid=%d cmdline=\"%s\" refused\n",
		  task_pid_nr(current), cmdline ?: "<no_memory>");
	kfree(cmdline);
}

static ssize_t verity_digests_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct verity_list *list;
	bool was_sealed;
	char *buf;

	/*
	 * Whoever opened the file, as for sysctls; a process that cannot set
	 * the list does not seal it either.
	 */
	if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	if (READ_ONCE(sealed)) {
		verity_report_sealed();
		return -EPERM;
	}

	/*
	 * Copied and parsed outside verity_lock, which status readers take:
	 * a writer whose buffer faults slowly (userfaultfd) holds up no one.
	 */
	if (*ppos != 0 || count > VERITY_LIST_MAX) {
		pr_err("verity_digests: the list must come in one write of at most %d bytes: nothing trusted\n",
		       VERITY_LIST_MAX);
		list = ERR_PTR(*ppos ? -EINVAL : -EFBIG);
	} else {
		buf = memdup_user_nul(ubuf, count);
		if (IS_ERR(buf)) {
			list = ERR_CAST(buf);
		} else {
			list = verity_parse(buf, '\n', "verity_digests");
			kfree(buf);
		}
	}

	mutex_lock(&verity_lock);
	/* another writer, or the pin becoming final, came first */
	was_sealed = sealed;
	if (!was_sealed)
		verity_publish(list, "verity_digests");
	mutex_unlock(&verity_lock);
	if (was_sealed) {
		if (!IS_ERR(list))
			kvfree(list);
		verity_report_sealed();
		return -EPERM;
	}
	return IS_ERR(list) ? PTR_ERR(list) : count;
}

/**
 * pinscope_verity_seal - the pin is final: seal the list, empty if unset
 *
 * Context: may sleep (verity_lock).
 */
void pinscope_verity_seal(void)
{
	mutex_lock(&verity_lock);
	if (!sealed) {
		WRITE_ONCE(sealed, true);
		pr_info("verity_digests: the pin is final and no list was given: no dm-verity device is trusted; sealed\n");
	}
	mutex_unlock(&verity_lock);
}

static const struct file_operations verity_digests_fops = {
	.write	= verity_digests_write,
	.llseek	= noop_llseek,
};

/**
 * pinscope_verity_init_securityfs - the boot list and the verity_digests file
 * @dir: pinscope's securityfs directory
 *
 * Called from an fs_initcall, before any device-mapper device exists and
 * before user space runs.  A boot parameter, even an empty one, seals the
 * list.
 *
 * Return: the file's dentry or an ERR_PTR().
 */
struct dentry *__init pinscope_verity_init_securityfs(struct dentry *dir)
{
	char *buf;

	if (verity_param) {
		mutex_lock(&verity_lock);
		buf = kstrdup(verity_param, GFP_KERNEL);
		verity_publish(buf ? verity_parse(buf, ',', "pinscope.verity_digests=") :
			       ERR_PTR(-ENOMEM), "pinscope.verity_digests=");
		kfree(buf);
		mutex_unlock(&verity_lock);
	}
	return securityfs_create_file("verity_digests", 0200, dir, NULL,
				      &verity_digests_fops);
}

/**
 * pinscope_verity_show_status - the verity lines of securityfs status
 * @m: the status file
 */
void pinscope_verity_show_status(struct seq_file *m)
{
	/* pairs with the release in verity_publish() */
	const struct verity_list *list = smp_load_acquire(&trusted);
	bool is_sealed;

	mutex_lock(&verity_lock);
	is_sealed = sealed;
	mutex_unlock(&verity_lock);
	seq_printf(m, "verity_digests=%u\nverity_sealed=%d\n",
		   list ? list->count : 0, is_sealed);
}

static bool verity_listed(const struct verity_list *list,
			  const struct dm_verity_bdev_info *info)
{
	unsigned int i;

	for (i = 0; i < list->count; i++) {
		const struct verity_digest *d = &list->digests[i];

		if (d->alg->size == info->digest_size &&
		    !strcmp(d->alg->name, info->alg_name) &&
		    !memcmp(d->digest, info->root_digest, d->alg->size))
			return true;
	}
	return false;
}

/**
 * pinscope_verity_trusted - may a load off the pin come from @file's device?
 * @file: the file the kernel reads
 * @why: set to why not when the list trusts some device, else to NULL
 *
 * The device is judged when the load starts, and again when the file has
 * been read (pinscope_post_read_file()), so that a table reloaded during
 * the read is seen.  A corrupted block the load itself reads is an I/O
 * error, since only devices that refuse corrupted data are trusted.  Only
 * a device whose table is the first it has had is trusted: a reload keeps
 * the page caches of the device and its filesystem, which may hold blocks
 * read through the earlier table (dm-linear over altered data, or the same
 * tree with ignore_corruption), and it would clear the corruption flag.
 *
 * Context: may sleep (dm_verity_bdev_info()).
 * Return: true to allow the load.
 */
bool pinscope_verity_trusted(struct file *file, const char **why)
{
	/* pairs with the release in verity_publish() */
	const struct verity_list *list = smp_load_acquire(&trusted);
	struct block_device *bdev = file->f_path.mnt->mnt_sb->s_bdev;
	struct dm_verity_bdev_info info;

	might_sleep();
	*why = NULL;
	if (!list || !list->count)
		return false;
	if (!bdev || dm_verity_bdev_info(bdev, &info))
		*why = "dm-verity: not a dm-verity device";
	else if (!verity_listed(list, &info))
		*why = "dm-verity: root digest not listed";
	else if (!info.enforcing)
		*why = "dm-verity: the device ignores corruption";
	else if (info.at_most_once)
		*why = "dm-verity: the device checks a block only the first time it is read";
	else if (info.hash_failed)
		*why = "dm-verity: the device has found a corrupted block";
	else if (!info.only_table)
		*why = "dm-verity: the table replaced another, whose blocks may still be cached";
	return !*why;
}
