// The namespaces nearly every file of this project uses, once (a file adds only what is particular to it).
global using System;
global using System.Collections.Concurrent;
global using System.Collections.Generic;
global using System.Globalization;
global using System.IO;
global using System.Linq;
global using System.Text;
global using System.Text.Json.Nodes;
global using System.Text.RegularExpressions;
global using System.Threading;
global using System.Threading.Tasks;
global using KedaAks.Engine.Azure;
global using KedaAks.Engine.Keda;
global using KedaAks.Engine.Kubernetes;
