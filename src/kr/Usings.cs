// What nearly every command file uses: Spectre's console and command types, and the attributes of its options.
global using System.ComponentModel;
global using Spectre.Console;
global using Spectre.Console.Cli;
