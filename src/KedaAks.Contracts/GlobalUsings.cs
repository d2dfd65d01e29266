// The namespaces nearly every file of this project uses, once (a file adds only what is particular to it).
global using System;
global using System.Collections;
global using System.Collections.Generic;
global using System.Threading;
global using System.Threading.Tasks;
