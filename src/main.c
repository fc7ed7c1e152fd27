/* main: vnicsim's entry point (skeleton). */
#include <stdio.h>

int main(void)
{
  fprintf(stderr, "vnicsim: not built yet\n");
  return 1;
}
