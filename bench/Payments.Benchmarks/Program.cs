using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Payments.Benchmarks -- --filter '*'   (see docs/BENCHMARKS.md)
BenchmarkSwitcher.FromAssembly(typeof(Payments.Benchmarks.ReceiptRendering).Assembly).Run(args);
