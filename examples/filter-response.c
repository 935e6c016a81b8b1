#include "corsim.h"
int main(void){return 1;}
