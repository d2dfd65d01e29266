using System.Reflection;
using System.Runtime.ExceptionServices;

namespace KedaAks.Engine.Boundary
{
    /// <summary>
    /// The engine's one exception boundary. Every service the engine hands out is wrapped in this proxy, so each
    /// call of every entry point, synchronous or not, turns any exception that is not a <see cref="KedaAksException"/>
    /// into one (see <see cref="ExceptionTranslator"/>); cancellation passes through as it is.
    /// </summary>
    internal class Guarded<T> : DispatchProxy
        where T : class
    {
        private static readonly ConcurrentDictionary<Type, MethodInfo> TaskGuards = new();
        private static readonly MethodInfo GenericGuard =
            typeof(Guarded<T>).GetMethods(BindingFlags.NonPublic | BindingFlags.Static).Single(m => m.Name == nameof(GuardAsync) && m.IsGenericMethodDefinition);

        private T _target = null!;

        public static T Wrap(T target)
        {
            T proxy = Create<T, Guarded<T>>();
            ((Guarded<T>)(object)proxy)._target = target;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            MethodInfo method = targetMethod ?? throw new ArgumentNullException(nameof(targetMethod));
            string operation = Describe(method);
            System.Threading.CancellationToken? caller = args?.OfType<CallContext>().FirstOrDefault()?.Cancellation;
            object? result;
            try
            {
                result = method.Invoke(_target, args);
            }
            catch (TargetInvocationException wrapper) when (wrapper.InnerException is not null)
            {
                Exception translated = ExceptionTranslator.Translate(wrapper.InnerException, operation, caller);
                if (ReferenceEquals(translated, wrapper.InnerException))
                {
                    ExceptionDispatchInfo.Capture(translated).Throw();
                }

                throw translated;
            }

            return result switch
            {
                Task task when method.ReturnType.IsGenericType => TaskGuards
                    .GetOrAdd(method.ReturnType.GetGenericArguments()[0], type => GenericGuard.MakeGenericMethod(type))
                    .Invoke(null, new object?[] { task, operation, caller }),
                Task task => GuardAsync(task, operation, caller),
                _ => result,
            };
        }

        private static async Task GuardAsync(Task task, string operation, System.Threading.CancellationToken? caller)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not KedaAksException)
            {
                Exception translated = ExceptionTranslator.Translate(exception, operation, caller);
                if (ReferenceEquals(translated, exception))
                {
                    throw;
                }

                throw translated;
            }
        }

        private static async Task<TResult> GuardAsync<TResult>(Task<TResult> task, string operation, System.Threading.CancellationToken? caller)
        {
            try
            {
                return await task.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not KedaAksException)
            {
                Exception translated = ExceptionTranslator.Translate(exception, operation, caller);
                if (ReferenceEquals(translated, exception))
                {
                    throw;
                }

                throw translated;
            }
        }

        /// <summary>"NewWorkloadIdentityAsync" → "new workload identity".</summary>
        internal static string Describe(MethodInfo method)
        {
            string name = method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name.Substring(0, method.Name.Length - 5) : method.Name;
            return Regex.Replace(name, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();
        }
    }
}
