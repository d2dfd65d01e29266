using System.Globalization;
using System.Text.RegularExpressions;

namespace KedaAks.Infrastructure
{
    /// <summary>Lets a TimeSpan parameter take seconds as a number (15) or a Prometheus duration (15s, 5m, 1h, 2d) besides a TimeSpan.</summary>
    internal sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        private static readonly Regex Duration = new(@"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject psObject ? psObject.BaseObject : inputData;
            switch (value)
            {
                case int or long or double or float or decimal:
                    return TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                case string text when Duration.Match(text) is { Success: true } m:
                    double amount = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    return m.Groups[2].Value.ToLowerInvariant() switch
                    {
                        "ms" => TimeSpan.FromMilliseconds(amount),
                        "s" => TimeSpan.FromSeconds(amount),
                        "m" => TimeSpan.FromMinutes(amount),
                        "h" => TimeSpan.FromHours(amount),
                        "d" => TimeSpan.FromDays(amount),
                        _ => TimeSpan.FromDays(amount * 7),
                    };
                case string seconds when double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double number):
                    return TimeSpan.FromSeconds(number);
                default:
                    return inputData;
            }
        }
    }
}
