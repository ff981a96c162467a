// The Lambda bootstrap: wired up in the following commits (runtime loop, composition root, handlers).
Console.Error.WriteLine("bootstrap: no function is wired yet.");
return 1;
