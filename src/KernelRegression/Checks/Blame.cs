namespace KernelRegression.Checks;

/// <summary>
/// Whose failure an exception is, said once for every check, fault and browser step: the harness's
/// (<see cref="HarnessFaultException"/>, or any exception that is not one of the deployment's failures:
/// a bug of ours), never a verdict; or the deployment's (an API error, a death, a deadline, a check that
/// saw the wrong thing), a verdict the judge decides with.
/// </summary>
public static class Blame
{
    public static bool IsHarness(Exception e) => e is HarnessFaultException || e is not (ActionableException or CheckFailedException);
}
