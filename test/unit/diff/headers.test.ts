import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doc, parse, textAt } from './support';

test('diff --git with index, ---/+++ and a/ b/ prefixes', () => {
  const text = doc(
    'diff --git a/drivers/pci/iov.c b/drivers/pci/iov.c',
    'index 4afd4ee..f5a2b0f 100644',
    '--- a/drivers/pci/iov.c',
    '+++ b/drivers/pci/iov.c',
    '@@ -178,6 +178,7 @@ int pci_iov_add_virtfn(struct pci_dev *dev, int id)',
    ' \tvirtfn->is_virtfn = 1;',
    ' \tvirtfn->physfn = pci_dev_get(dev);',
    '+\tvirtfn->no_command_memory = 1;',
    ' ',
    ' \tif (id == 0)',
    ' \t\tpci_read_vf_config_common(virtfn);',
    ' ',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.files.length, 1);
  const f = r.files[0];
  assert.equal(f.oldPath, 'drivers/pci/iov.c');
  assert.equal(f.newPath, 'drivers/pci/iov.c');
  assert.equal(f.path, 'drivers/pci/iov.c');
  assert.equal(f.extended.index, '4afd4ee..f5a2b0f 100644');
  assert.equal(f.binary, false);
  assert.equal(f.messageIndex, -1);
  assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 11, character: 1 } });
  assert.equal(f.hunks.length, 1);
  assert.equal(f.hunks[0].heading, 'int pci_iov_add_virtfn(struct pci_dev *dev, int id)');
});

test('new file, deleted file and mode change', () => {
  const text = doc(
    'diff --git a/hw/vfio/new.c b/hw/vfio/new.c',
    'new file mode 100644',
    'index 0000000..e69de29',
    '--- /dev/null',
    '+++ b/hw/vfio/new.c',
    '@@ -0,0 +1,2 @@',
    '+#include "qemu/osdep.h"',
    '+int x;',
    'diff --git a/hw/vfio/old.c b/hw/vfio/old.c',
    'deleted file mode 100644',
    'index e69de29..0000000',
    '--- a/hw/vfio/old.c',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-int y;',
    'diff --git a/scripts/run.sh b/scripts/run.sh',
    'old mode 100644',
    'new mode 100755',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.files.length, 3);
  const [added, deleted, mode] = r.files;
  assert.equal(added.oldPath, undefined);
  assert.equal(added.newPath, 'hw/vfio/new.c');
  assert.equal(added.extended.newFileMode, '100644');
  assert.equal(added.hunks[0].oldStart, 0);
  assert.equal(added.hunks[0].oldLines, 0);
  assert.equal(added.hunks[0].newLines, 2);
  assert.equal(deleted.newPath, undefined);
  assert.equal(deleted.path, 'hw/vfio/old.c');
  assert.equal(deleted.extended.deletedFileMode, '100644');
  // "@@ -1 +0,0 @@": an omitted count is 1
  assert.equal(deleted.hunks[0].oldLines, 1);
  assert.equal(deleted.hunks[0].removed, 1);
  assert.equal(mode.path, 'scripts/run.sh');
  assert.equal(mode.extended.oldMode, '100644');
  assert.equal(mode.extended.newMode, '100755');
  assert.equal(mode.hunks.length, 0);
  assert.deepEqual(mode.range, { start: { line: 15, character: 0 }, end: { line: 17, character: 15 } });
});

test('rename and copy without hunks take their paths from the extended headers', () => {
  const text = doc(
    'diff --git a/include/linux/pci.h b/include/linux/pci_new.h',
    'similarity index 100%',
    'rename from include/linux/pci.h',
    'rename to include/linux/pci_new.h',
    'diff --git a/a.c b/b.c',
    'similarity index 90%',
    'copy from a.c',
    'copy to b.c',
    'index 1111111..2222222 100644',
    '--- a/a.c',
    '+++ b/b.c',
    '@@ -1 +1 @@',
    '-old',
    '+new',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  const [rename, copy] = r.files;
  assert.equal(rename.oldPath, 'include/linux/pci.h');
  assert.equal(rename.newPath, 'include/linux/pci_new.h');
  assert.equal(rename.extended.similarity, 100);
  assert.equal(rename.extended.renameFrom, 'include/linux/pci.h');
  assert.equal(rename.extended.renameTo, 'include/linux/pci_new.h');
  assert.equal(copy.extended.copyFrom, 'a.c');
  assert.equal(copy.extended.copyTo, 'b.c');
  assert.equal(copy.oldPath, 'a.c');
  assert.equal(copy.newPath, 'b.c');
  assert.equal(copy.hunks.length, 1);
});

test('binary files: "Binary files differ" and a skipped GIT binary patch', () => {
  const text = doc(
    'diff --git a/pc-bios/edk2.bin b/pc-bios/edk2.bin',
    'index 1234567..89abcde 100644',
    'Binary files a/pc-bios/edk2.bin and b/pc-bios/edk2.bin differ',
    'diff --git a/pc-bios/vgabios.bin b/pc-bios/vgabios.bin',
    'index 1234567..89abcde 100644',
    'GIT binary patch',
    'literal 12',
    'zcmZ?wbhEHbRA5kG_{hL;;lV=',
    '@@ -1,1 +1,1 @@ this base85 line is not a hunk',
    '',
    'literal 10',
    'zcmZ?wbhEHbRA5kG_{hL',
    '',
    'diff --git a/x.c b/x.c',
    '--- a/x.c',
    '+++ b/x.c',
    '@@ -1 +1 @@',
    '-a',
    '+b',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.files.length, 3);
  assert.equal(r.files[0].binary, true);
  assert.equal(r.files[0].path, 'pc-bios/edk2.bin');
  assert.equal(r.files[1].binary, true);
  assert.equal(r.files[1].hunks.length, 0);
  assert.equal(r.files[2].path, 'x.c');
  assert.equal(r.files[2].hunks.length, 1);
});

test('quilt-style Index: + ==== header, and a plain diff -u with timestamps and no prefixes', () => {
  const text = doc(
    'Index: linux/drivers/pci/iov.c',
    '===================================================================',
    '--- linux.orig/drivers/pci/iov.c',
    '+++ linux/drivers/pci/iov.c',
    '@@ -1 +1 @@',
    '-a',
    '+b',
    'diff -u old.c new.c',
    '--- old.c\t2020-09-02 12:00:00.000000000 +0200',
    '+++ new.c\t2020-09-03 12:00:00.000000000 +0200',
    '@@ -2,2 +2,2 @@',
    ' keep',
    '-x',
    '+y',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.files.length, 2);
  assert.equal(r.files[0].oldPath, 'drivers/pci/iov.c');
  assert.equal(r.files[0].newPath, 'drivers/pci/iov.c');
  assert.equal(r.files[0].range.start.line, 0, 'the file diff starts at its Index: line');
  assert.equal(r.files[1].oldPath, 'old.c');
  assert.equal(r.files[1].newPath, 'new.c');
  assert.equal(r.files[1].range.start.line, 7, 'the file diff starts at its diff -u line');
  assert.equal(r.files[1].hunks[0].newStart, 2);
});

test('--no-prefix git diff and C-quoted names', () => {
  const text = doc(
    'diff --git hw/vfio/pci.c hw/vfio/pci.c',
    '--- hw/vfio/pci.c',
    '+++ hw/vfio/pci.c',
    '@@ -1 +1 @@',
    '-a',
    '+b',
    'diff --git "a/docs/caf\\303\\251 notes.txt" "b/docs/caf\\303\\251 notes.txt"',
    'new file mode 100644',
    'index 0000000..e69de29',
  );
  const r = parse(text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.files[0].path, 'hw/vfio/pci.c');
  assert.equal(r.files[1].path, 'docs/café notes.txt');
  assert.equal(r.files[1].oldPath, undefined);
});

test('a file header range and problem positions point into the raw text', () => {
  const text = doc(
    'Some prose.',
    'diff --git a/x.c b/x.c',
    '--- a/x.c',
    '+++ b/x.c',
    '@@ -1,2 +1,2 @@ f(void)',
    ' a',
    '-b',
    '+c',
  );
  const r = parse(text);
  const f = r.files[0];
  assert.equal(
    textAt(text, { start: f.range.start, end: { line: f.range.start.line, character: 22 } }),
    'diff --git a/x.c b/x.c',
  );
  assert.equal(textAt(text, f.hunks[0].headerRange), '@@ -1,2 +1,2 @@ f(void)');
});

test('a git header line wrapped by the mailer is skipped with a warning, not split into two file diffs', () => {
  const text = doc(
    'diff --git a/drivers/pci/quirks.c b/drivers/pci/quirks.c',
    'index ',
    '0123456789abcdef0123456789abcdef01234567..89abcdef0123456789abcdef0123456789abcdef ',
    '100644',
    '--- a/drivers/pci/quirks.c',
    '+++ b/drivers/pci/quirks.c',
    '@@ -1 +1 @@',
    '-a',
    '+b',
  );
  const r = parse(text);
  assert.equal(r.files.length, 1);
  assert.equal(r.files[0].range.start.line, 0);
  assert.equal(r.files[0].hunks.length, 1);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].severity, 'warning');
  assert.equal(r.problems[0].range.start.line, 2);
  assert.match(r.problems[0].message, /wrapped by the mailer/);
});

test('without diff --git, a ---/+++ pair in prose opens no file diff unless a hunk follows', () => {
  const text = doc(
    '--- the old way',
    '+++ the new way',
    'is how I wrote it.',
    '--- a/x.c',
    '+++ b/x.c',
    '@@ -1 +1 @@',
    '-a',
    '+b',
  );
  const r = parse(text);
  assert.equal(r.files.length, 1);
  assert.equal(r.files[0].path, 'x.c');
  assert.equal(r.files[0].range.start.line, 3);
});
