#include <bpf/libbpf.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include "t2.skel.h"
static int quiet(enum libbpf_print_level l, const char* f, va_list a) { return 0; }
int main(void) {
  libbpf_set_print(quiet);
  const char* names[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
  for (int i = 0; i < 8; i++) {
    struct t2_bpf* s = t2_bpf__open();
    struct bpf_program* p;
    bpf_object__for_each_program(p, s->obj) bpf_program__set_autoload(p, strcmp(bpf_program__name(p), names[i]) == 0);
    int err = t2_bpf__load(s);
    int aerr = 0;
    if (!err) { bpf_object__for_each_program(p, s->obj) if (bpf_program__autoload(p)) { struct bpf_link* l = bpf_program__attach(p); if (!l) aerr = -errno; } }
    printf("%s (%s): load %d attach %d\n", names[i], bpf_program__section_name(bpf_object__find_program_by_name(s->obj, names[i])), err, aerr);
    t2_bpf__destroy(s);
  }
}
